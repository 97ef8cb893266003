// HPOSearchSpaceTests

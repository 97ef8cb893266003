// HPOCLITests

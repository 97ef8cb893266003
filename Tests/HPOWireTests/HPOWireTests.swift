// HPOWireTests

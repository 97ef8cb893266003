// HPOCoordinatorCoreTests

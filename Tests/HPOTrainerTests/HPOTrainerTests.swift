// HPOTrainerTests

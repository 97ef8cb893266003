// HPOOptimizerTests

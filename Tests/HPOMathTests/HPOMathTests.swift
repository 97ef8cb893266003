// HPOMathTests

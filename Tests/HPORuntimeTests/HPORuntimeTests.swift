// HPORuntimeTests

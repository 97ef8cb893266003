// HPOZeroMQTests

pytest_plugins = ["secret_service"]

"""The service framework: app part (config, signals, lifecycle) and trusted part environment."""

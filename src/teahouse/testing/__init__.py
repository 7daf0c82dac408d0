"""Test and tutorial helpers: real servers and harnesses that stand in for the outside world."""

"""The comprehend-jobs command's tests, against a local emulator."""

"""The custom-resource handler's tests, without AWS."""

"""Test helpers of the villages app: factories of its records and its rules for the shared test world."""

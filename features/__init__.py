"""Text processing, need extraction, weekly trends, supply matching and the candidate table."""

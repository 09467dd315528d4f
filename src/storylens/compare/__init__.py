"""Stage 6: inside a story, align sentences into claims, mark agreement and disputes, follow quotes."""

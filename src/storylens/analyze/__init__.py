"""Stage 2: per-article analysis (sentences, entities, quotes, quantities, dates)."""

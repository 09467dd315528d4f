"""Stage 7: the story briefing (Markdown, HTML, JSON), every line cited to its source sentence."""

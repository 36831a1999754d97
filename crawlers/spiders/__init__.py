"""The project's spiders, one per module; `name` is what `oppradar crawl` takes."""

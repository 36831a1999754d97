"""The Scrapy project, importers of other crawlers' exports, and the sandbox world."""

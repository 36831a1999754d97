"""Data files of the features package (the product taxonomy and aspect lexicon)."""

"""The LightGBM ranker: labels, training, evaluation, baselines, registry, explanations."""

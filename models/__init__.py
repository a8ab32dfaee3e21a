"""Model registry, fetching and loading: which weights exist, where they come from, how to open them."""

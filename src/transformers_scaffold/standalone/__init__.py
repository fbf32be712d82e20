"""Standalone model packages: `scaffold new-model NAME --standalone --output DIR` (`package`), and what
`new-pipeline --standalone` and the checker read about such a package (`layout`)."""

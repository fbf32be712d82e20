"""`scaffold new-pipeline`: a new pipeline task in a fork (`fork_plan`) or a standalone package (`standalone`)."""

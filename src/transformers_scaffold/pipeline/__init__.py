"""The generator's pipeline: answers -> plan -> render -> edits -> verify -> commit-or-rollback."""

print("hpo-bench: not yet")

print("hpo: not yet")

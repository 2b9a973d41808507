def load_demo():
    return 0

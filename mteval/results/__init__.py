"""mteval/results"""

"""mteval/systems/translate"""

"""mteval/systems"""

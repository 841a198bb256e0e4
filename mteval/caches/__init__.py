"""mteval/caches"""

"""mteval/documents"""

"""mteval/pair_audit"""

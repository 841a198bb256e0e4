"""mteval/pair_audit/divergences"""

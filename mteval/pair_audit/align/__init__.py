"""mteval/pair_audit/align"""

"""mteval/report"""

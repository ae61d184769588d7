"""soql"""

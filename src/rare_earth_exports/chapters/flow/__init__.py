"""Finished magnets against raw inputs: did magnets flow again while controlled inputs stayed scarce?"""

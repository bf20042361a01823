"""What the tests share and nothing else: event builders, strategies, checkers, the tests' own statement of
Kubernetes facts, and where the fixtures are. No test module imports another test module; they import here.
"""

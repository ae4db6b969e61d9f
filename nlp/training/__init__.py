"""Training and evaluation: ``prereview train | evaluate | calibrate-encoder | corpus``, model cards, planted
rounds, the corpus (``nlp.training.corpus``) and the demo data generated from it.

Nothing at run time imports this package (``tests/test_layers.py`` checks): analysis, the batch runner and the
service load a bundle this package wrote and need nothing else from it.
"""

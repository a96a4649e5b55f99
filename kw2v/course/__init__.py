"""What only the course notebooks use, kept out of the package's reading path.

``checker`` grades the notebooks' "Your turn" exercises (one module per notebook),
``diagrams`` draws the explanatory figures (``python -m kw2v.course.diagrams``), and
``notebook`` holds :func:`~kw2v.course.notebook.setup_notebook`, every notebook's setup cell.
Nothing here imports TensorFlow: the course's checks run on any Keras backend.
"""

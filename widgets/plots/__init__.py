"""Live training plots (pyqtgraph): curves, feature maps, histograms, filters, results."""

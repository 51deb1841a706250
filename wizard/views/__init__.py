"""The app's views: the seller's pages and (later) the staff pages."""

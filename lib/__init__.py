"""Plain helpers every app uses (Thai digits and dates, names, places, spreadsheets, pending
uploads, formulas, requests, language): not a Django app, and it imports none."""

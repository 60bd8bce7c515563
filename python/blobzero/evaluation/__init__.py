"""Evaluation: players and the loop that seats them (``players``), agents, duplicate-deal
matches and their results (``arena``), Elo ratings (``elo``).
"""

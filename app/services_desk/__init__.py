"""The service desk: service secretaries and their visits, problems (问题诉求) raised by or for enterprises."""

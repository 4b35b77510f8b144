"""Applications (Permohonan), their documents, history and issued permits (Izin)."""

# The image the docker-compose worker runs: the project installed with its exact pins.
FROM python:3.11-slim
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir -c constraints.txt -e . "asyncpg>=0.29,<1"
ENV PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 GX_ANALYTICS_ENABLED=false \
    BAOGAO_HOME=/data BAOGAO_INBOX=/data/inbox BAOGAO_WAREHOUSE=/data/warehouse/warehouse.duckdb
CMD ["baogao", "--help"]

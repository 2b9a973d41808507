"""The ceiling: a bare Flask app (not part of the product) that renders the OT list page's table from
memory, so the benchmark can say how far each page is from what Flask + Jinja + gunicorn can do.

    gunicorn -w 2 -b 127.0.0.1:8001 --chdir bench ceiling:app

It renders what the OT list renders, without the database: the same layout (head, top bar, filter
form with the small catalogs), the same 12 columns with the same markup per row (folio link and
clipped description, tipo badge, PTE, client, front and site, manager, status badge, programmed and
real dates, progress bar, MXN and USD with money formatting, the inline-edit button), sort links
built with url_for, and the pager. 50 rows, built once at import with fixed values.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from flask import Flask, render_template, url_for
from jinja2 import DictLoader

app = Flask(__name__)
app.jinja_env.trim_blocks = True
app.jinja_env.lstrip_blocks = True


def money(value) -> str:
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


def fecha(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


app.jinja_env.filters["money"] = money
app.jinja_env.filters["fecha"] = fecha


class User:
    nombre = "Banco de pruebas"
    rol = "admin"

    @staticmethod
    def puede(rol: str) -> bool:
        return True


CLIENTES = [(i, f"Cliente de prueba número {i} S.A. de C.V.") for i in range(1, 41)]
ESTATUS = {1: "Programada", 2: "En ejecución", 3: "Suspendida", 4: "Terminada", 5: "Cancelada"}
TEXT = (
    "Rehabilitación de línea de descarga de 8 pulgadas en plataforma Akal-J, Activo Integral Cantarell; "
    "incluye andamiaje y limpieza con chorro de arena y pruebas no destructivas"
)
WORDS = TEXT.split()


def _rows(n: int = 50) -> list[dict]:
    rnd = random.Random(50)
    rows = []
    for i in range(n):
        start = date(2026, 1, 5) + timedelta(days=rnd.randint(0, 300))
        plazo = rnd.choice((30, 60, 90, 120))
        started = rnd.random() < 0.7
        reprog = i % 9 == 0
        total = 7 if reprog else 12
        done = rnd.randint(0, total)
        rows.append(
            {
                "id": 100_000 - i,
                "orden_trabajo": f"OT-GRZ-{800 + i}-26-{rnd.randint(0, 999):03d}.{rnd.randint(1, 9)}-J-NHA",
                "descripcion_trabajo": " ".join(rnd.sample(WORDS, 14)) + ".",
                "estatus": 1,
                "id_tipo": 5 if reprog else 4,
                "num_reprogramacion": 2 if reprog else None,
                "reprogramaciones": 1 if i % 13 == 0 else 0,
                "pte": f"PEP-CDC-PTE-{12_000 + i:05d}-2026",
                "cliente": CLIENTES[rnd.randrange(len(CLIENTES))][1],
                "frente": "Costa afuera" if i % 5 < 3 else "Tierra",
                "sitio": "B/C Isla Santa Cruz" if i % 5 < 3 else "Patio Dos Bocas",
                "responsable": "Ing. Mariana López Cruz",
                "id_estatus_ot": 1 + i % 5,
                "estatus_ot": ESTATUS[1 + i % 5],
                "fecha_inicio_programado": start,
                "fecha_termino_programado": start + timedelta(days=plazo),
                "fecha_inicio_real": start + timedelta(days=2) if started else None,
                "fecha_termino_real": start + timedelta(days=plazo + 3) if started and i % 3 == 0 else None,
                "comentario": "Requiere permiso de trabajo en caliente." if i % 5 == 0 else "",
                "pasos_completados": done,
                "pasos_total": total,
                "monto_mxn": Decimal(rnd.randint(40_000, 90_000_000))
                + Decimal(rnd.choice((0, 25, 50))) / 100,
                "monto_usd": Decimal(rnd.randint(5_000, 900_000)) if i % 6 == 0 else Decimal("0"),
            }
        )
    return rows


ROWS = _rows()
TOTAL = 96_314

PAGE = """<!doctype html>
<html lang="es">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Órdenes de trabajo · ot_app</title>
  <meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowScriptTags": false, "allowEval": false, "historyCacheSize": 0}'>
  <link rel="stylesheet" href="/static/css/app.css">
  <script src="/static/vendor/htmx-2.0.11.min.js" defer></script>
  <script src="/static/js/app.js" defer></script>
</head>
<body hx-headers='{"X-CSRFToken": "{{ csrf }}"}' data-page="ot-lista">
  <a class="skip" href="#main">Saltar al contenido</a>
  <header class="topbar">
    <a class="brand" href="{{ url_for('index') }}">ot<span>_app</span></a>
    <nav aria-label="Principal"><a href="{{ url_for('index') }}" aria-current="page">OT</a></nav>
    <div class="user">
      <span title="Rol: {{ user.rol }}">{{ user.nombre }} <small>({{ user.rol }})</small></span>
      <form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{ csrf }}"><button type="submit" class="link">Salir</button></form>
    </div>
  </header>
  <main id="main" tabindex="-1">
<div class="page-head">
  <h1>Órdenes de trabajo</h1>
  <div class="actions">
    <a class="button primary" id="nueva-ot" href="/ot/nueva" data-new hx-get="/ot/nueva" hx-target="#ot-dialog-body" hx-swap="innerHTML" data-open-dialog="ot-dialog" aria-keyshortcuts="n">Nueva OT <kbd>n</kbd></a>
    <button type="button" data-help aria-keyshortcuts="?">Atajos <kbd>?</kbd></button>
  </div>
</div>
<form id="filtros" class="filters" role="search" method="get" action="/"
      hx-get="/" hx-target="#ot-results" hx-swap="outerHTML" hx-push-url="true"
      hx-trigger="input changed delay:250ms from:#q, search from:#q, change from:.filt, submit" hx-indicator="#ot-results">
  <div class="field search">
    <label for="q">Buscar <kbd>/</kbd></label>
    <input type="search" id="q" name="q" value="" placeholder="Folio, oficio, descripción o responsable del cliente" autocomplete="off">
  </div>
  <div class="field">
    <label for="f-cliente">Cliente</label>
    <select id="f-cliente" name="id_cliente" class="filt"><option value="">Todos</option>
      {% for id, nombre in clientes %}<option value="{{ id }}">{{ nombre }}</option>{% endfor %}
    </select>
  </div>
  <div class="field">
    <label for="f-estatus-ot">Estatus de OT</label>
    <select id="f-estatus-ot" name="id_estatus_ot" class="filt"><option value="">Todos</option>
      {% for id, nombre in estatus.items() %}<option value="{{ id }}">{{ nombre }}</option>{% endfor %}
    </select>
  </div>
  <div class="field">
    <label for="f-tipo">Tipo</label>
    <select id="f-tipo" name="id_tipo" class="filt"><option value="">Todos</option><option value="4">OT inicial</option><option value="5">OT reprogramada</option></select>
  </div>
  <div class="field">
    <label for="f-frente">Frente</label>
    <select id="f-frente" name="id_frente" class="filt"><option value="">Todos</option><option value="1">Tierra</option><option value="2">Costa afuera</option></select>
  </div>
</form>
{% macro sort_th(key, label, cls="") %}
<th class="{{ cls }}" aria-sort="none">{% set url = url_for('index', orden=key) %}<a href="{{ url }}" hx-get="{{ url }}" hx-target="#ot-results" hx-swap="outerHTML" hx-push-url="true" class="sort">{{ label }}<span class="arrow" aria-hidden="true">↕</span></a></th>
{% endmacro %}
{% macro estatus_badge(id, nombre) %}
{% set cls = {1: "badge-info", 2: "badge-ok", 3: "badge-warn", 4: "", 5: "badge-err"} %}
<span class="badge {{ cls.get(id, '') }}">{{ nombre or "—" }}</span>
{% endmacro %}
{% macro progress_bar(done, total) %}
{% set pct = (100 * done / total)|round|int if total else 0 %}
<span class="progress" title="{{ done }} de {{ total }} pasos completados ({{ pct }} %)"><progress value="{{ done }}" max="{{ total or 1 }}" aria-label="Avance de pasos">{{ pct }} %</progress><small>{{ done }}/{{ total }}</small></span>
{% endmacro %}
<section id="ot-results" class="results" aria-live="polite" aria-busy="false">
  <div class="results-meta">
    <span><strong>{{ "{:,}".format(total) }}</strong> OT</span>
    <span class="muted">página 1 de {{ (total + 49) // 50 }}</span>
  </div>
  <div class="table-wrap">
  <table class="data ot-list" id="ot-table">
    <thead><tr>
      {{ sort_th("folio", "Folio") }}<th>Tipo</th><th>PTE</th>{{ sort_th("cliente", "Cliente") }}<th>Frente · sitio</th><th>Responsable</th>
      {{ sort_th("estatus_ot", "Estatus") }}{{ sort_th("fecha_inicio_programado", "Programado") }}<th>Avance</th>
      {{ sort_th("monto_mxn", "MXN", "num") }}{{ sort_th("monto_usd", "USD", "num") }}<th><span class="sr-only">Acciones</span></th>
    </tr></thead>
    <tbody id="ot-rows">
{% for o in rows %}
<tr id="ot-{{ o.id }}" data-row data-id="{{ o.id }}" class="">
  <td class="c-folio">
    <a class="folio" href="{{ url_for('detalle', ot_id=o.id) }}" data-open>{{ o.orden_trabajo }}</a>
    <div class="sub clip" title="{{ o.descripcion_trabajo }}">{{ o.descripcion_trabajo|truncate(70, true, "…") }}</div>
  </td>
  <td>{% if o.id_tipo == 5 %}<span class="badge badge-info" title="OT reprogramada">Reprog. {{ o.num_reprogramacion }}</span>{% else %}<span class="badge">Inicial</span>{% if o.reprogramaciones %} <small title="Reprogramaciones activas">+{{ o.reprogramaciones }}</small>{% endif %}{% endif %}</td>
  <td class="nowrap">{{ o.pte or "" }}</td>
  <td>{{ o.cliente or "" }}</td>
  <td>{{ o.frente or "" }}<div class="sub">{{ o.sitio or "" }}</div></td>
  <td>{{ o.responsable or "" }}</td>
  <td>{{ estatus_badge(o.id_estatus_ot, o.estatus_ot) }}</td>
  <td class="nowrap">{{ o.fecha_inicio_programado|fecha }} – {{ o.fecha_termino_programado|fecha }}
    {% if o.fecha_inicio_real or o.fecha_termino_real %}<div class="sub">Real: {{ o.fecha_inicio_real|fecha }} – {{ o.fecha_termino_real|fecha }}</div>{% endif %}
    {% if o.comentario %}<div class="sub clip" title="{{ o.comentario }}">💬 {{ o.comentario|truncate(40, true, "…") }}</div>{% endif %}
  </td>
  <td>{{ progress_bar(o.pasos_completados, o.pasos_total) }}</td>
  <td class="num">{{ o.monto_mxn|money }}</td>
  <td class="num">{{ o.monto_usd|money }}</td>
  <td class="row-actions">
    {% if user.puede("editor") %}
      <button type="button" class="icon" data-edit title="Editar en línea (e)" aria-label="Editar en línea {{ o.orden_trabajo }}"
              hx-get="{{ url_for('fila_editar', ot_id=o.id) }}" hx-target="closest tr" hx-swap="outerHTML">✎</button>
    {% endif %}
  </td>
</tr>
{% endfor %}
    </tbody>
  </table>
  </div>
  <nav class="pager" aria-label="Páginas">
    {% set url = url_for('index', page=2) %}<span>1 / {{ (total + 49) // 50 }}</span>
    <a class="button" rel="next" href="{{ url }}" hx-get="{{ url }}" hx-target="#ot-results" hx-swap="outerHTML" hx-push-url="true">Siguiente →</a>
  </nav>
</section>
  </main>
  <div id="toasts" class="toasts" role="status" aria-live="polite"></div>
</body>
</html>
"""

# A loaded (compiled once, cached) template, as the app's own templates are.
app.jinja_loader = DictLoader({"list.html": PAGE})


@app.get("/")
def index():
    return render_template(
        "list.html",
        rows=ROWS,
        total=TOTAL,
        clientes=CLIENTES,
        estatus=ESTATUS,
        user=User,
        csrf="ImQ4ZTEzYTIyM2QwOGU4M2NlZWY2MDFlNjZhNTJiNzYxNjc2ZTFjNjAi.awkeOA.Xg7uThKNbgEixBTMZk7VMbDs064",
    )


@app.get("/ot/<int:ot_id>")
def detalle(ot_id: int):
    return url_for("detalle", ot_id=ot_id)


@app.get("/ot/<int:ot_id>/fila/editar")
def fila_editar(ot_id: int):
    return url_for("fila_editar", ot_id=ot_id)

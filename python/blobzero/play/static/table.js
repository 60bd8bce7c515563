// The browser table: draws the person's view from /api/state and sends their moves.
"use strict";

const SUITS = { S: "\u2660", H: "\u2665", D: "\u2666", C: "\u2663" };
const RED = new Set(["H", "D"]);

function cardParts(text) {
  const rank = text.slice(0, -1) === "T" ? "10" : text.slice(0, -1);
  return { rank, suit: text.slice(-1) };
}

function cardElement(text, tag) {
  const { rank, suit } = cardParts(text);
  const element = document.createElement(tag);
  element.className = "card" + (RED.has(suit) ? " red" : "");
  element.dataset.card = text;
  element.innerHTML = `<span class="rank">${rank}</span><span class="suit">${SUITS[suit]}</span>`;
  return element;
}

function trumpText(view) {
  if (view.turned_up) return `trump ${SUITS[view.trump]} (turned up ${view.turned_up})`;
  return view.trump === "N" ? "no trump" : `trump ${SUITS[view.trump]}`;
}

function seatName(view, seat) {
  return seat === view.seat ? "You" : `Seat ${seat} (${view.players[seat].name})`;
}

async function request(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

async function send(path, body) {
  document.body.dataset.busy = "1";
  try {
    draw(await request("POST", path, body));
  } catch (error) {
    document.getElementById("message").textContent = error.message;
  } finally {
    delete document.body.dataset.busy;
  }
}

function drawSeat(view, player) {
  const element = document.createElement("div");
  element.className = "seat" + (view.to_act === player.seat ? " to-act" : "");
  element.dataset.seat = player.seat;
  const dealer = view.dealer === player.seat ? " (dealer)" : "";
  const bid = player.bid === null ? "–" : player.bid;
  element.innerHTML = `<div class="name">Seat ${player.seat}: ${player.name}${dealer}</div>` +
    `<div>bid ${bid} · won ${player.tricks} · ${player.cards_left} cards</div>` +
    `<div>total ${player.total}</div>`;
  return element;
}

function drawTrick(container, cards, view) {
  container.replaceChildren();
  for (const { seat, card } of cards) {
    const played = document.createElement("div");
    played.className = "played";
    played.append(cardElement(card, "div"));
    const label = document.createElement("span");
    label.textContent = seat === view.seat ? "you" : `seat ${seat}`;
    played.append(label);
    container.append(played);
  }
}

function drawScoreSheet(view) {
  const sheet = document.getElementById("score-sheet");
  const header = "<tr><th>round</th><th>cards</th>" +
    view.players.map((p) => `<th>${p.seat === view.seat ? "you" : "seat " + p.seat}</th>`).join("") +
    "</tr>";
  const rows = view.scores.map((scores, i) =>
    `<tr class="round-row"><td>${i + 1}</td><td>${view.round_sizes[i]}</td>` +
    scores.map((s) => `<td>${s}</td>`).join("") + "</tr>");
  const total = `<tr class="total"><td>total</td><td></td>` +
    view.totals.map((t) => `<td>${t}</td>`).join("") + "</tr>";
  sheet.innerHTML = header + rows.join("") + total;
}

function draw(view) {
  document.getElementById("round-info").textContent =
    `Round ${view.round}/${view.rounds} · ${view.num_cards} cards · ${trumpText(view)} · ` +
    `dealer: ${seatName(view, view.dealer)}`;
  const opponents = document.getElementById("opponents");
  opponents.replaceChildren(...view.players.filter((p) => p.seat !== view.seat)
    .map((p) => drawSeat(view, p)));
  const me = view.players[view.seat];
  document.getElementById("you").className = view.your_turn ? "to-act" : "";
  document.getElementById("you-info").textContent =
    `You (seat ${view.seat})${view.dealer === view.seat ? ", dealer" : ""}: ` +
    `bid ${me.bid === null ? "–" : me.bid} · won ${me.tricks} · total ${me.total}`;

  const bids = document.getElementById("bids");
  bids.replaceChildren();
  if (view.phase === "bidding" && view.your_turn) {
    for (let bid = 0; bid <= view.num_cards; bid++) {
      const button = document.createElement("button");
      button.className = "bid";
      button.textContent = bid;
      button.dataset.bid = bid;
      button.disabled = !view.bids.includes(bid);
      if (bid === view.forbidden_bid) button.title = "the hook rule: the bids may not add up to the cards";
      button.addEventListener("click", () => send("/api/act", { action: 52 + bid }));
      bids.append(button);
    }
  }
  const hand = document.getElementById("hand");
  hand.replaceChildren(...view.hand.map(({ card, id, legal }) => {
    const button = cardElement(card, "button");
    button.disabled = !legal;
    if (legal) {
      button.classList.add("legal");
      button.addEventListener("click", () => send("/api/act", { action: id }));
    }
    return button;
  }));

  drawTrick(document.getElementById("trick"), view.trick, view);
  const last = document.getElementById("last-trick");
  last.textContent = view.last_trick
    ? `Last trick: ${view.last_trick.cards.map((c) => c.card).join(" ")}, won by ` +
      seatName(view, view.last_trick.winner).toLowerCase()
    : "";
  const message = document.getElementById("message");
  const next = document.getElementById("next-round");
  next.hidden = view.phase !== "round_over";
  if (view.phase === "match_over") {
    const names = view.winners.map((s) => seatName(view, s)).join(", ");
    message.textContent = `Game over: ${names} won with ${Math.max(...view.totals)} points.`;
    message.dataset.over = "1";
  } else if (view.phase === "round_over") {
    message.textContent = `Round ${view.round} over.`;
  } else if (view.your_turn) {
    message.textContent = view.phase === "bidding" ? "Your bid." : "Your card.";
  } else {
    message.textContent = "";
  }
  document.getElementById("hint-button").hidden = !(view.hints && view.your_turn);
  document.getElementById("hint").textContent = "";
  drawScoreSheet(view);
  document.getElementById("log").replaceChildren(...view.log.map((line) => {
    const item = document.createElement("li");
    item.textContent = line;
    return item;
  }));
  document.body.dataset.phase = view.phase;
  document.body.dataset.version = String(Number(document.body.dataset.version || 0) + 1);
}

document.getElementById("next-round").addEventListener("click", () => send("/api/next"));
document.getElementById("hint-button").addEventListener("click", async () => {
  try {
    const advice = await request("GET", "/api/hint");
    document.getElementById("hint").textContent =
      `${advice.recommended}\n` + advice.actions.map((a) =>
        `${a.action.padEnd(7)} ${(100 * a.visit_share).toFixed(1).padStart(5)}%` +
        (a.expected_score === null ? "" : `  expected score ${a.expected_score.toFixed(2)}`)).join("\n");
  } catch (error) {
    document.getElementById("message").textContent = error.message;
  }
});
request("GET", "/api/state").then(draw);

// Reads a typed amount (万元) or percentage back in words under its field while the person types
// (the server renders the same line: app/web/amounts.py). Inputs carry data-unit="wan" or "percent".
(function () {
  'use strict';
  var DIGITS = '零壹贰叁肆伍陆柒捌玖', PLACES = ['仟', '佰', '拾', ''], SECTIONS = ['', '万', '亿', '万亿'];
  var zh = (document.documentElement.lang || '').indexOf('zh') === 0;

  function clean(text, suffixes) {
    text = (text || '').normalize('NFKC').replace(/[,\s\u3000]/g, '').replace('−', '-');
    suffixes.forEach(function (s) { if (text.endsWith(s)) { text = text.slice(0, -s.length); } });
    return text;
  }
  function section(n) {
    var out = '', zero = false;
    for (var i = 0; i < 4; i++) {
      var d = Math.floor(n / Math.pow(10, 3 - i)) % 10;
      if (d === 0) { zero = zero || out !== ''; continue; }
      if (zero) { out += '零'; zero = false; }
      out += DIGITS[d] + PLACES[i];
    }
    return out;
  }
  // cents: BigInt amount in fen (1/100 yuan)
  function capitals(cents) {
    var sign = cents < 0n ? '负' : '';
    if (cents < 0n) { cents = -cents; }
    var whole = cents / 100n, fen = Number(cents % 100n), sections = [], rest = whole;
    while (rest > 0n) { sections.push(Number(rest % 10000n)); rest = rest / 10000n; }
    var parts = [], gap = false;
    for (var k = sections.length - 1; k >= 0; k--) {
      if (sections[k] === 0) { gap = parts.length > 0; continue; }
      if (parts.length && (gap || sections[k] < 1000)) { parts.push('零'); }
      parts.push(section(sections[k]) + SECTIONS[k]);
      gap = false;
    }
    var words = whole > 0n ? parts.join('') + '元' : '';
    if (!fen) { return sign + (words || '零元') + '整'; }
    var jiao = Math.floor(fen / 10), f = fen % 10;
    if (jiao) { words += DIGITS[jiao] + '角'; } else if (whole > 0n) { words += '零'; }
    if (f) { words += DIGITS[f] + '分'; }
    return sign + words;
  }
  function group(intText) { return intText.replace(/\B(?=(\d{3})+(?!\d))/g, ','); }

  function wanEcho(raw) {
    var text = clean(raw, ['万元', '万']);
    if (!text) { return ''; }
    if (!/^-?\d+(\.\d+)?$/.test(text)) { return null; }
    var neg = text[0] === '-', body = neg ? text.slice(1) : text, parts = body.split('.');
    var frac = (parts[1] || '').padEnd(4, '0');
    if (frac.length > 4) { return null; }
    var yuan = BigInt(parts[0]) * 10000n + BigInt(frac);  // 万元 with 4 decimals = yuan
    var wanInt = parts[0].replace(/^0+(?=\d)/, ''), wanFrac = (parts[1] || '').padEnd(2, '0');
    var sign = neg ? '-' : '';
    var yuanText = sign + group(yuan.toString());
    var compactFrac = (parts[1] || '').replace(/0+$/, '');
    var compact = sign + wanInt + (compactFrac ? '.' + compactFrac : '') + '万元';
    if (zh) {
      return sign + group(wanInt) + '.' + wanFrac + ' 万元 = ' + compact + ' = ' + yuanText + ' 元（大写：' +
        capitals((neg ? -yuan : yuan) * 100n) + '）';
    }
    return sign + group(wanInt) + '.' + wanFrac + ' 万元 = ' + yuanText + ' yuan';
  }
  function percentEcho(raw) {
    var text = clean(raw, ['%', '％']);
    if (!text) { return ''; }
    if (!/^-?\d+(\.\d+)?$/.test(text)) { return null; }
    var value = Number(text);
    if (value < 0 || value > 100) { return null; }
    var ratio = String(Math.round(value * 1e8) / 1e10);
    return zh ? text + '%（即 ' + ratio + '）' : text + '% (a ratio of ' + ratio + ')';
  }

  document.querySelectorAll('input[data-unit]').forEach(function (input) {
    var line = document.querySelector('[data-echo-for="' + input.id + '"]');
    if (!line) { return; }
    input.addEventListener('input', function () {
      var said = input.dataset.unit === 'wan' ? wanEcho(input.value) : percentEcho(input.value);
      line.textContent = said === null ? (zh ? '无法识别，请填写数字' : 'Not a number yet') : said;
      line.classList.toggle('text-danger', said === null);
      line.classList.toggle('text-success-emphasis', said !== null);
    });
  });
})();

// The `translate` service of bpmn-js / dmn-js in the page's language: Chinese from zh.js, else English.

import zh from './zh';

export function translator(locale) {
  const texts = locale && locale.toLowerCase().startsWith('zh') ? zh : {};
  return function translate(template, replacements) {
    const text = Object.prototype.hasOwnProperty.call(texts, template) ? texts[template] : template;
    return text.replace(/{([^}]+)}/g, (whole, key) => (replacements && key in replacements ? replacements[key] : whole));
  };
}

// an additional module overriding diagram-js' (and dmn-js') translate service
export function translateModule(locale) {
  return { translate: ['value', translator(locale)] };
}

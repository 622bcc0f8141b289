// /api/docs: Swagger UI on the served OpenAPI document (app/api/openapi.yaml).
(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    validatorUrl: null, // no badge from an outside validator (the CSP allows this site only)
  });
})();

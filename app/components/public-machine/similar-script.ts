/**
 * The one script of the public machine page (docs/decisions/038-trigram-search-and-duplicate-guard.md): while the
 * player types the report's title (or details), it asks /m/<id>/similar (debounced) and lists the resembling open
 * issues in the form's live region, each with a "Me too" button that submits the page's `similar-metoo` form. Sent
 * inline with the request's CSP nonce, about 1 kB, no framework: the page still sends no client bundle
 * (docs/decisions/032-public-pages-without-client-js.md). Text is set with textContent, never as HTML.
 */
export const SIMILAR_WHILE_TYPING = `(function(){
var f=document.getElementById("report-form"),out=document.getElementById("similar-live");
if(!f||!out||!window.fetch)return;
var t=f.elements.namedItem("title"),d=f.elements.namedItem("description"),url=f.getAttribute("data-similar"),timer=0,asked="";
function el(tag,text,cls){var e=document.createElement(tag);if(text)e.textContent=text;if(cls)e.className=cls;return e}
function show(list){out.textContent="";if(!list.length)return;
out.appendChild(el("p","Is it one of these? Tap \\u201cMe too\\u201d instead of sending a new report.","font-medium text-slate-900"));
var ul=el("ul","","space-y-2");
list.forEach(function(i){var li=el("li","","rounded-md border border-slate-200 p-2 space-y-1");
li.appendChild(el("p",i.title,"break-words font-medium"));li.appendChild(el("p",i.status,"text-sm text-slate-600"));
var b=el("button","Me too","btn-secondary min-h-11");b.type="submit";b.name="issueId";b.value=i.id;
b.setAttribute("form","similar-metoo");b.setAttribute("aria-label","Me too: "+i.title);li.appendChild(b);ul.appendChild(li)});
out.appendChild(ul)}
function ask(){var q=t.value.trim(),x=d?d.value.trim().slice(0,500):"",key=q+"\\n"+x;
if(key===asked)return;asked=key;if(q.length<3)return show([]);
fetch(url+"?q="+encodeURIComponent(q)+"&d="+encodeURIComponent(x),{headers:{Accept:"application/json"}})
.then(function(r){return r.ok?r.json():null}).then(function(j){if(j&&key===asked)show(j.issues)}).catch(function(){})}
f.addEventListener("input",function(e){if(e.target===t||e.target===d){clearTimeout(timer);timer=setTimeout(ask,400)}})
})();`;
